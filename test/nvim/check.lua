-- Test driver for test/nvim/nvim.test.ts, run after init.lua with the fixture as the current
-- buffer: waits for the server to attach and publish diagnostics, asks for a hover, and writes
-- what Neovim received as JSON to $RUST_MEMORY_NVIM_OUT, then quits. Waits are vim.wait on a
-- condition with a deadline (RUST_MEMORY_NVIM_TIMEOUT ms), never a fixed sleep.
local out = assert(vim.env.RUST_MEMORY_NVIM_OUT, 'RUST_MEMORY_NVIM_OUT is not set')
local timeout = tonumber(vim.env.RUST_MEMORY_NVIM_TIMEOUT or '20000')
local hover_line = tonumber(assert(vim.env.RUST_MEMORY_HOVER_LINE))
local hover_col = tonumber(assert(vim.env.RUST_MEMORY_HOVER_COL))

local result = {
  nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch),
  filetype = vim.bo.filetype,
  attached = false,
  diagnostics = {},
  hover = vim.NIL,
  errors = {},
}

local publishes = 0
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
  default_publish(err, params, ctx, config)
  if params and params.uri == vim.uri_from_bufnr(vim.api.nvim_get_current_buf()) then
    publishes = publishes + 1
  end
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  result.attached = vim.wait(timeout, function()
    return next(vim.lsp.buf_get_clients(bufnr)) ~= nil
  end, 20)
  if not result.attached then
    table.insert(result.errors, 'no language client attached to the buffer')
    return
  end

  -- The server's answer for the opened text is its first publishDiagnostics for this URI
  -- (possibly empty); the default handler has run once our wrapper sees it.
  local published = vim.wait(timeout, function()
    return publishes > 0
  end, 20)
  if not published then
    table.insert(result.errors, 'no publishDiagnostics within ' .. timeout .. ' ms')
  end
  result.publishes = publishes
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(result.diagnostics, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or lsp.code or vim.NIL,
    })
  end

  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    position = { line = hover_line, character = hover_col },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, timeout)
  if err then
    table.insert(result.errors, 'hover: ' .. tostring(err))
  end
  for _, response in pairs(responses or {}) do
    if response.error then
      table.insert(result.errors, 'hover: ' .. vim.inspect(response.error))
    elseif response.result then
      -- What Neovim would show in its hover window.
      local lines = vim.lsp.util.convert_input_to_markdown_lines(response.result.contents)
      result.hover = { text = table.concat(lines, '\n'), range = response.result.range or vim.NIL }
    end
  end
end

local ok, err = pcall(run)
if not ok then
  table.insert(result.errors, 'check.lua: ' .. tostring(err))
end
local file = assert(io.open(out, 'w'))
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd('qall!')

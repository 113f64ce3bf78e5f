-- Test driver for test/nvim/nvim.test.ts, run after init.lua with the fixture as the current
-- buffer: waits for the server to attach and publish diagnostics, asks for a hover, the document
-- highlights at a position, applies the preferred quick fix at another, and writes
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

  -- Document highlights of the binding declared at the highlight position (its lifetime): the
  -- server's answer, and what vim.lsp.buf.document_highlight() draws (its extmarks).
  local hl_line = tonumber(vim.env.RUST_MEMORY_HIGHLIGHT_LINE or '-1')
  if hl_line >= 0 then
    local hl_col = tonumber(vim.env.RUST_MEMORY_HIGHLIGHT_COL)
    local hparams = {
      textDocument = vim.lsp.util.make_text_document_params(bufnr),
      position = { line = hl_line, character = hl_col },
    }
    local hl_responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/documentHighlight', hparams, timeout)
    result.highlights = {}
    for _, response in pairs(hl_responses or {}) do
      for _, h in ipairs(response.result or {}) do
        table.insert(result.highlights, {
          kind = h.kind or 1,
          line = h.range.start.line,
          character = h.range.start.character,
          end_line = h.range['end'].line,
          end_character = h.range['end'].character,
        })
      end
    end
    vim.api.nvim_win_set_cursor(0, { hl_line + 1, hl_col })
    vim.lsp.buf.document_highlight()
    local ns = vim.api.nvim_create_namespace('vim_lsp_references')
    vim.wait(timeout, function()
      return #vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, {}) > 0
    end, 20)
    result.highlight_marks = #vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, {})
  end

  -- A quick fix through vim.lsp.buf.code_action(): the user picks the preferred action (our
  -- vim.ui.select stands in for the menu), its WorkspaceEdit is applied, and the server publishes
  -- the diagnostics of the edited buffer.
  local fix_line = tonumber(vim.env.RUST_MEMORY_FIX_LINE or '-1')
  if fix_line >= 0 then
    local fix_col = tonumber(vim.env.RUST_MEMORY_FIX_COL)
    vim.api.nvim_win_set_cursor(0, { fix_line + 1, fix_col })
    result.actions = {}
    local chosen = false
    vim.ui.select = function(items, _, on_choice)
      local pick = nil
      for _, item in ipairs(items) do
        table.insert(result.actions, item[2].title)
        if item[2].isPreferred and not pick then
          pick = item
        end
      end
      chosen = true
      on_choice(pick)
    end
    local before = publishes
    vim.lsp.buf.code_action()
    vim.wait(timeout, function()
      return chosen
    end, 20)
    vim.wait(timeout, function()
      return publishes > before
    end, 20)
    result.fixed_text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
    result.fixed_diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local lsp = (d.user_data and d.user_data.lsp) or {}
      table.insert(result.fixed_diagnostics, { lnum = d.lnum, code = d.code or lsp.code or vim.NIL, message = d.message })
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

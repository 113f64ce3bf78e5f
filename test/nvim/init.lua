-- Rust Memory in Neovim (0.7 or later): start the language server for Rust buffers over stdio.
--
-- The server is `dist/server.js` of the extension: from a clone (`npm ci` builds it) or from
-- an installed extension (~/.vscode/extensions/rust-memory.rust-memory-<version>/dist/server.js);
-- it needs the `node_modules/` beside it (tree-sitter). Set RUST_MEMORY_SERVER to its path.
local server = vim.env.RUST_MEMORY_SERVER
  or vim.fn.expand('~/.vscode/extensions/rust-memory.rust-memory-0.1.0/dist/server.js')

local client_id = nil

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'rust',
  callback = function(args)
    -- One server for every Rust buffer (Neovim 0.8+ can use vim.lsp.start instead).
    if not client_id or not vim.lsp.get_client_by_id(client_id) then
      client_id = vim.lsp.start_client({
        name = 'rust-memory',
        cmd = { 'node', server, '--stdio' },
        root_dir = vim.fn.getcwd(),
        -- Answers workspace/configuration for section `rustMemory` (defaults when empty).
        settings = { rustMemory = {} },
      })
    end
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})

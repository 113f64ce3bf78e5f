/**
 * A real VS Code for tests: code-server (VS Code 1.100 served to a browser), built by
 * `test/e2e/build-code-server.sh` and cached outside the repository.
 *
 * `startCodeServer` installs a packaged `.vsix` into a fresh extensions folder (as a user would,
 * with `--install-extension`), then serves a workspace on loopback with no auth. Every wait is on
 * an event (a log line, a process exit) with a deadline that fails with what was seen; nothing
 * sleeps.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/fixtures';

/** Builds code-server when the cache is absent (minutes) and returns its folder (cached: ~1 s). */
export async function buildCodeServer(root: string = repoRoot()): Promise<string> {
  const script = path.join(root, 'test', 'e2e', 'build-code-server.sh');
  const { stdout } = await run('bash', [script], { cwd: root, inheritStderr: true, timeoutMs: 50 * 60_000 });
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(path.join(dir, 'out', 'node', 'entry.js'))) {
    throw new Error(`build-code-server.sh printed '${dir}', which holds no out/node/entry.js`);
  }
  return dir;
}

/**
 * The packaged extension made by `npm run package`: `<name>-<version>.vsix` at the repository
 * root, or the file named by RUST_MEMORY_VSIX.
 */
export function packagedVsix(root: string = repoRoot()): string {
  if (process.env.RUST_MEMORY_VSIX) return path.resolve(process.env.RUST_MEMORY_VSIX);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first (npm run test:e2e does)`);
  return vsix;
}

export interface CodeServerOptions {
  /** Folder of the built code-server (from `buildCodeServer`). */
  codeServerDir: string;
  /** The `.vsix` to install before starting (none: no extension installed). */
  vsix?: string;
  /** Folder opened as the workspace. */
  workspace: string;
  /** Extra user settings merged over the test defaults. */
  settings?: Record<string, unknown>;
  /** Where code-server's own log goes (for a failed run's post-mortem). */
  logFile: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT/?folder=...`: opens the workspace. */
  url: string;
  userDataDir: string;
  extensionsDir: string;
  /** `127.0.0.1:PORT`: the remote authority of `vscode-remote://` URIs in this server. */
  authority: string;
  /** Output printed by `--install-extension` (empty when nothing was installed). */
  installLog: string;
  /** code-server's stdout+stderr so far. */
  log(): string;
  close(): Promise<void>;
}

/** Settings that keep the window free of dialogs and tours a first-run user would dismiss. */
const testSettings: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Completions would cover the text being typed in the edit step.
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
};

/** Installs the vsix into fresh folders and serves `workspace`. Throws with the log on failure. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-code-server-'));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...testSettings, ...opts.settings }, null, 2));
  // code-server's own config and logs stay in the scratch folder, not in ~/.config, ~/.local.
  const configFile = path.join(base, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\n');
  const env = withoutPassword({ ...process.env, CODE_SERVER_CONFIG: configFile, XDG_DATA_HOME: path.join(base, 'xdg-data') });
  const entry = path.join(opts.codeServerDir, 'out', 'node', 'entry.js');
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  let installLog = '';
  if (opts.vsix) {
    const install = await run(process.execPath, [entry, ...common, '--install-extension', opts.vsix], {
      cwd: base,
      env,
      timeoutMs: 5 * 60_000,
    });
    installLog = install.stdout + install.stderr;
    if (!/successfully installed/i.test(installLog)) {
      throw new Error(`--install-extension ${opts.vsix} did not report success:\n${installLog}`);
    }
  }

  const child = spawn(
    process.execPath,
    [
      entry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      opts.workspace,
    ],
    { cwd: base, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let log = '';
  const logStream = fs.createWriteStream(opts.logFile);
  const onData = (chunk: Buffer): void => {
    log += chunk.toString();
    logStream.write(chunk);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  // code-server prints "HTTP server listening on http://127.0.0.1:PORT/" once it accepts requests.
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('code-server did not start listening within 120 s')), 120_000);
    const check = (): void => {
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        cleanup();
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null): void => fail(new Error(`code-server exited with ${code} before listening`));
    const fail = (err: Error): void => {
      cleanup();
      reject(new Error(`${err.message}\n--- code-server log ---\n${log}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', onExit);
    check();
  }).catch(async (err) => {
    await stop(child);
    throw err;
  });

  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`,
    authority: `127.0.0.1:${port}`,
    userDataDir,
    extensionsDir,
    installLog,
    log: () => log,
    close: async () => {
      await stop(child);
      logStream.end();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/** The environment minus code-server's password variables (`--auth none` serves loopback only). */
function withoutPassword(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.PASSWORD;
  delete out.HASHED_PASSWORD;
  return out;
}

/** Ends a child process: SIGTERM, then SIGKILL if it has not exited after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Pass the child's stderr through (long builds show progress). */
  inheritStderr?: boolean;
}

/** Runs a command to completion; rejects with its output when it fails or times out. */
function run(cmd: string, args: string[], opts: RunOptions): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
    if (opts.inheritStderr) child.stderr?.pipe(process.stderr);
  });
}

import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session as electronSession, shell, utilityProcess } from 'electron';
import { messageOf } from '../../core/errors';
import { appRoot, rendererDir } from '../../core/runtime/paths';
import { createHandlers } from '../../app/handlers/handlers';
import { readRecentProjects } from '../../app/recent-projects';
import { mediaFor } from '../../app/media';
import { Session } from '../../app/session';
import { APP_ENTRY_URL, APP_SCHEME, appSchemePrivileges } from './app-origin';
import { bindCalls, forwardEvents } from './ipc-binding';
import { guardNavigation } from './navigation-guard';
import { blockNetwork } from './network-policy';
import { denyAllPermissions } from './permission-policy';
import { createAppProtocolHandler } from './protocol-handler';
import { chooseStartupProject } from './startup-project';
import { utilityProcessChannel } from './utility-process-channel';
import { windowOptions } from './window-options';

/**
 * The Electron shell: wiring only. Every decision (window options, CSP,
 * navigation, permissions, protocol, IPC checks) lives in its own module
 * as a function of its inputs, tested under plain Node.
 */
const preloadPath = path.join(appRoot, 'dist', 'electron', 'preload.cjs');
const computeEntry = path.join(appRoot, 'dist', 'electron', 'utility-process.js');
const iconPath = path.join(appRoot, 'resources', 'icon.png');

protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.enableSandbox();
// Chromium's profile (caches, local storage) in its own folder, apart from Farpoint's settings in the same config folder.
app.setPath('userData', path.join(app.getPath('appData'), 'farpoint', 'chromium-profile'));

// Every WebContents, including any a bug or a future feature creates, gets the guards.
app.on('web-contents-created', (_event, contents) => guardNavigation(contents, (url) => shell.openExternal(url)));

let window: BrowserWindow | null = null;
let backend: Session | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second launch only brings the running window forward: two windows on one project file would race.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.whenReady().then(start, (err: unknown) => fail(err));
}

async function start(): Promise<void> {
  const browserSession = electronSession.defaultSession;
  denyAllPermissions(browserSession);
  blockNetwork(browserSession, (url) => console.warn(`farpoint: blocked a network request to ${url.slice(0, 200)}`));

  const session = new Session(() => utilityProcessChannel((...args) => utilityProcess.fork(...args), computeEntry));
  backend = session;
  const startup = chooseStartupProject(process.argv.slice(1), process.env, readRecentProjects(), (file) => fs.existsSync(file));
  if (startup) {
    try {
      session.open(path.resolve(startup));
    } catch (err) {
      // The window still opens and offers to pick a project; the reason goes to the log.
      console.error(`farpoint: cannot open ${startup}: ${messageOf(err)}`);
    }
  }
  const handlers = createHandlers(session);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir, media: (kind, id, maxSize) => mediaFor(session.project, kind, id, maxSize) }));
  bindCalls(ipcMain, handlers);
  openWindow(session);

  app.on('activate', () => {
    if (!window) openWindow(session);
  });
}

function openWindow(session: Session): void {
  const win = new BrowserWindow(windowOptions({ preload: preloadPath, devTools: !app.isPackaged, icon: fs.existsSync(iconPath) ? iconPath : undefined }));
  window = win;
  const stopEvents = forwardEvents(session.events, win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    stopEvents();
    window = null;
  });
  void win.loadURL(APP_ENTRY_URL).catch((err: unknown) => console.error(`farpoint: cannot load the UI: ${messageOf(err)}`));
}

app.on('window-all-closed', () => app.quit());

// Jobs are stopped and the project file closed before the process ends, so its WAL is checkpointed.
let closing = false;
app.on('before-quit', (event) => {
  if (closing || !backend) return;
  event.preventDefault();
  closing = true;
  const session = backend;
  backend = null;
  void session
    .close()
    .catch((err: unknown) => console.error(`farpoint: closing the project failed: ${messageOf(err)}`))
    .finally(() => app.quit());
});

function fail(err: unknown): void {
  console.error(`farpoint: cannot start: ${messageOf(err)}`);
  app.exit(1);
}

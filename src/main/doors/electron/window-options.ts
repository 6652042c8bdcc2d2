import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowSetup {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preload: string;
  /** Developer tools are for development builds only. */
  devTools: boolean;
  icon?: string;
}

/**
 * The one window's options. The renderer gets no Node, runs in Chromium's
 * sandbox, and its page and the preload live in separate JavaScript worlds,
 * so the page sees `window.farpoint` and nothing else of the preload.
 */
export function windowOptions(setup: WindowSetup): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 800,
    minHeight: 560,
    title: 'Farpoint',
    backgroundColor: '#1e1f22',
    // Shown once the first frame is painted, so users never see a white flash.
    show: false,
    autoHideMenuBar: true,
    ...(setup.icon ? { icon: setup.icon } : {}),
    webPreferences: {
      preload: setup.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Chromium fetches spell-check dictionaries from Google's servers: off, the app never touches the network.
      spellcheck: false,
      safeDialogs: true,
      devTools: setup.devTools,
    },
  };
}

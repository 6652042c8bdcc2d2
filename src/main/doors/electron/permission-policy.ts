import type { Session } from 'electron';

/** The parts of a Session the policy sets (so it can be exercised without an Electron binary). */
export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler' | 'on'
>;

/**
 * Farpoint needs no browser permission at all (camera, microphone,
 * notifications, geolocation, clipboard reads, devices, screen capture,
 * opening external protocols): every request and every check is refused,
 * whatever the page or a compromised renderer asks for.
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  // Exports are written by the back end; the page has no reason to download anything.
  session.on('will-download', (event) => event.preventDefault());
}

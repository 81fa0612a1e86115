import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// The tests run the real desktop core and server in this process (desktopWorld.ts). jsdom gives
// the test realm typed arrays of its own, while Node's code (Buffer, TextEncoder, WebCrypto)
// makes Node's: libraries that check `instanceof Uint8Array` (jose signing the server's tokens)
// then refuse Node's bytes. The page code needs nothing realm-specific, so use Node's.
const nodeUint8Array = Object.getPrototypeOf(Buffer.prototype).constructor as Uint8ArrayConstructor;
if (globalThis.Uint8Array !== nodeUint8Array) {
  globalThis.Uint8Array = nodeUint8Array;
  globalThis.ArrayBuffer = new nodeUint8Array(0).buffer.constructor as ArrayBufferConstructor;
}

// jsdom has no layout, so every element measures 0 and the virtualised audit list would render
// no rows. Give elements the sizes a browser would: a 420px viewport, rows of about 76px.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 420 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 76 });

// Screens load through several async reads; on a busy 2-core machine 1 s (the default) is tight.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  window.location.hash = '';
  sessionStorage.clear();
});

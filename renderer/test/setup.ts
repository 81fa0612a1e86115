import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

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

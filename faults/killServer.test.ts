import { describe, it } from 'vitest';
import { killServerScenario } from './killServer.js';
import { runQuick } from './lib/quick.js';

describe('fault scenario kill-server (quick)', () => {
  it('a desktop core pushing through SIGKILLed server restarts loses nothing and applies nothing twice', () => runQuick(killServerScenario), 90_000);
});

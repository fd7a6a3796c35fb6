// Worker threads do not inherit tsx's loader in Node 20, so this plain-JS entry registers it, then loads the TS body.
import { register } from 'tsx/esm/api';

register();
await import('./sign-worker.ts');

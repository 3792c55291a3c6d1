import { cleanupOnSignals } from '../util/interrupt.ts';
import { mainImpl } from './impl.ts';
import { run } from './run.ts';

// A cancelled workflow run signals the step: its temp files (a half-written image) go with it.
cleanupOnSignals();
await run(mainImpl);

import { postImpl } from './impl.ts';
import { run } from './run.ts';

await run(postImpl);

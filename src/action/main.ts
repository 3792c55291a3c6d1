import { mainImpl } from './impl.ts';
import { run } from './run.ts';

await run(mainImpl);

import type { ConfigArgs } from '../../proxy/config.ts';
import { optionValue, optionValues, type ParsedArgs } from '../util/args.ts';

/** The options `serve` and `monitor` share (DESIGN.md: monitor takes "same options as serve"). */
export const PROXY_OPTIONS = ['config', 'data', 'listen', 'token'] as const;
export const PROXY_REPEATABLE = ['upstream'] as const;

export function proxyConfigArgs(args: ParsedArgs): ConfigArgs {
  return {
    config: optionValue(args, 'config'),
    data: optionValue(args, 'data'),
    listen: optionValue(args, 'listen'),
    token: optionValue(args, 'token'),
    upstreams: optionValues(args, 'upstream'),
  };
}

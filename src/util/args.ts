import { UsageError } from '../errors.ts';

/** What a command accepts: flags without a value, options with one (repeatable where listed). */
export interface ArgSpec {
  flags?: readonly string[];
  options?: readonly string[];
  repeatable?: readonly string[];
  /** How many positional arguments: [min, max]. */
  positionals?: readonly [number, number];
}

export interface ParsedArgs {
  flags: Set<string>;
  options: Map<string, string[]>;
  positionals: string[];
}

/** Parses `--name value`, `--name=value` and bare flags; anything unknown is a UsageError (exit 2; main prefixes the command). */
export function parseArgs(argv: readonly string[], spec: ArgSpec, command: string): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const known = new Set([...(spec.options ?? []), ...(spec.repeatable ?? [])]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (spec.flags?.includes(name)) {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        flags.add(name);
        continue;
      }
      if (!known.has(name)) throw new UsageError(`unknown option --${name} (see 'yumvault ${command} --help')`);
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++i]!;
      }
      const list = options.get(name) ?? [];
      if (list.length > 0 && !spec.repeatable?.includes(name)) throw new UsageError(`--${name} given twice`);
      list.push(value);
      options.set(name, list);
      continue;
    }
    positionals.push(arg);
  }
  const [min, max] = spec.positionals ?? [0, 0];
  if (positionals.length < min || positionals.length > max) {
    throw new UsageError(
      `expected ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${positionals.length} (see 'yumvault ${command} --help')`,
    );
  }
  return { flags, options, positionals };
}

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

export function optionValues(args: ParsedArgs, name: string): string[] {
  return args.options.get(name) ?? [];
}

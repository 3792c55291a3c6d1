import * as core from '@actions/core';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { COMMANDS, Inputs, type Command } from './constants.ts';

/** The action's inputs, read and checked once. */
export interface ActionSettings {
  command: Command;
  image: string;
  repos: string[];
  name: string;
  dir: string;
  proxy: string | undefined;
  token: string | undefined;
  cache: boolean;
  upgrades: Record<string, string>;
  allowVulnerable: boolean;
  substitute: 'minor' | undefined;
}

function getInputAsArray(name: string): string[] {
  return core
    .getInput(name)
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
}

function getInputAsBool(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(raw)) return true;
  if (['false', 'no', '0', 'off'].includes(raw)) return false;
  throw new UsageError(`input '${name}' must be true or false, got '${raw}'`);
}

/** A default name that is safe in a cache key and a directory name: the image's base name without tar suffixes. */
export function defaultName(image: string): string {
  const base = basename(image.replace(/[\\/]+$/, '')).replace(/\.(tar(\.(gz|zst|xz))?|tgz|tzst|txz)$/i, '');
  return base.replace(/[^A-Za-z0-9._-]+/g, '-') || 'image';
}

export function readSettings(): ActionSettings {
  const command = core.getInput(Inputs.Command, { required: true }).trim() as Command;
  if (!COMMANDS.includes(command)) {
    throw new UsageError(`input 'command' must be one of ${COMMANDS.join(', ')}, got '${command}'`);
  }
  const image = core.getInput(Inputs.Image, { required: true }).trim();
  const repos = getInputAsArray(Inputs.Repos);
  if (repos.length === 0) throw new UsageError(`input 'repos' needs at least one repository URL (one per line)`);
  const name = core.getInput(Inputs.Name).trim() || defaultName(image);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new UsageError(`input 'name' may hold only letters, digits, '.', '_' and '-', got '${name}'`);
  }
  const dir = core.getInput(Inputs.Dir).trim() || join('.yumvault', name);
  const proxy = core.getInput(Inputs.Proxy).trim() || undefined;
  const token = core.getInput(Inputs.Token).trim() || undefined;
  // Mask before anything can print it.
  if (token) core.setSecret(token);
  const upgrades: Record<string, string> = {};
  for (const line of getInputAsArray(Inputs.Upgrade)) {
    const eq = line.indexOf('=');
    if (eq <= 0 || eq === line.length - 1) throw new UsageError(`input 'upgrade': expected NAME=EVR, got '${line}'`);
    upgrades[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const substituteRaw = core.getInput(Inputs.Substitute).trim();
  if (substituteRaw && substituteRaw !== 'minor') throw new UsageError(`input 'substitute' may only be 'minor', got '${substituteRaw}'`);
  return {
    command,
    image,
    repos,
    name,
    dir,
    proxy,
    token,
    cache: getInputAsBool(Inputs.Cache, true),
    upgrades,
    allowVulnerable: getInputAsBool(Inputs.AllowVulnerable, false),
    substitute: substituteRaw === 'minor' ? 'minor' : undefined,
  };
}

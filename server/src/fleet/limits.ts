// Every bound the engine puts on what a repository may make it do, in one settings object, so that the
// server and the CLI can expose them as settings. A repository may be huge or hostile; hitting a limit
// is a diagnostic on the file that hit it, never a crash, a hang or unbounded memory.
import { defaultScanLimits, type ScanLimits } from './scan';
import { defaultParseLimits, type ParseLimits } from '../kustomize/yaml/parse';

export interface RenderLimits {
  /** Objects one render (a folder, a Flux Kustomization, an environment) may produce before it is cut. */
  maxObjectsPerRender: number;
  /** Flux Kustomizations followed per environment (a dependsOn chain or a Kustomization tree). */
  maxKustomizationsPerEnvironment: number;
  /** Wall-clock budget of one render: past it the render stops with a render-time-limit error. */
  renderTimeBudgetMs: number;
}

export interface EngineLimits {
  /** Per YAML file: size, documents, alias expansion, nesting. */
  parse: ParseLimits;
  /** The repository walk: files indexed, file size, folder depth. */
  scan: ScanLimits;
  render: RenderLimits;
}

export type EngineLimitSettings = { [G in keyof EngineLimits]?: Partial<EngineLimits[G]> };

export const defaultRenderLimits: RenderLimits = {
  maxObjectsPerRender: 100_000,
  maxKustomizationsPerEnvironment: 2_000,
  renderTimeBudgetMs: 30_000,
};

export const defaultEngineLimits: EngineLimits = {
  parse: defaultParseLimits,
  scan: defaultScanLimits,
  render: defaultRenderLimits,
};

/**
 * The limits with the user's settings applied. Settings come from an editor's configuration or a command
 * line, so each value is checked: anything that is not a positive whole number (or is absurdly large) keeps
 * the default rather than turning a bound off.
 */
export function resolveLimits(settings: unknown = {}): EngineLimits {
  const given = isRecord(settings) ? settings : {};
  const group = <T extends object>(name: keyof EngineLimits, defaults: T): T => {
    const overrides = isRecord(given[name]) ? given[name] : {};
    const out = { ...defaults };
    for (const key of Object.keys(defaults) as Array<keyof T & string>) {
      const value = overrides[key];
      if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) (out as Record<string, unknown>)[key] = value;
    }
    return out;
  };
  return {
    parse: group('parse', defaultEngineLimits.parse),
    scan: group('scan', defaultEngineLimits.scan),
    render: group('render', defaultEngineLimits.render),
  };
}

/**
 * What to hand a parse for these limits: undefined when they are the defaults, so that parses with the
 * defaults share one parse-cache entry whichever caller made them (the cache keys custom limits apart).
 */
export function customParseLimits(limits: ParseLimits): ParseLimits | undefined {
  const custom = (Object.keys(defaultParseLimits) as Array<keyof ParseLimits>).some((k) => limits[k] !== defaultParseLimits[k]);
  return custom ? limits : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Node only: PGlite's NODEFS copies PostgreSQL's file modes onto the host with chmod (0666 for data files, whatever
 * the umask), so any local user could read TOTP secrets from the WAL. This file system strips group and other bits.
 */
import { NodeFS } from '@electric-sql/pglite/nodefs';

type SetAttr = (arg: unknown, node: unknown, attr: { mode?: number } | undefined, ...rest: unknown[]) => void;
type Module = { NODEFS: { doSetAttr: SetAttr } };

export class PrivateNodeFS extends NodeFS {
  override async init(...args: Parameters<NodeFS['init']>): ReturnType<NodeFS['init']> {
    const result = await super.init(...args);
    const ownerOnly = (module: Module) => {
      const setAttr = module.NODEFS.doSetAttr.bind(module.NODEFS);
      module.NODEFS.doSetAttr = (arg, node, attr, ...rest) =>
        setAttr(arg, node, attr?.mode !== undefined ? { ...attr, mode: attr.mode & ~0o077 } : attr, ...rest);
    };
    const preRun = result.emscriptenOpts.preRun ?? [];
    result.emscriptenOpts.preRun = [ownerOnly as unknown as (typeof preRun)[number], ...preRun];
    return result;
  }
}

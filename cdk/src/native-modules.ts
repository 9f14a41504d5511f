/**
 * Packages with native binaries (`FunctionSpec.nativeModules`, e.g. onnxruntime-node) shipped beside a bundle.
 *
 * esbuild cannot inline a `.node` binding, so such a package stays external and is copied, as installed, into the
 * asset's `node_modules/` after bundling: its package.json, the JavaScript it runs, the prebuilt binaries of the
 * function's platform only (onnxruntime-node ships darwin, win32 and linux x64/arm64 binaries: 288 MB installed, 25 MB
 * for linux/arm64), and its runtime dependencies. No `npm install` runs (no network, no postinstall script), so the
 * asset holds exactly what `npm ci` installed here. Its runtime dependencies are external as well, so that the
 * bundle and the package share one copy of them (onnxruntime-node's tensors are onnxruntime-common's classes).
 *
 * How a package lays out its binaries differs from package to package, so each native module needs an entry in
 * `NATIVE_MODULE_LAYOUTS`; an unknown one fails the synth rather than shipping every platform.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { shellQuote } from './shell';

/** The platform a function runs on (Lambda: Linux; the architecture follows the function's). */
export interface LambdaPlatform {
  readonly os: 'linux';
  readonly arch: 'arm64' | 'x64';
}

/** How one native module is shipped. */
export interface NativeModuleLayout {
  /** The files and folders its code runs, relative to the package (package.json is always shipped). */
  readonly runtimeFiles: readonly string[];
  /** The folder of one platform's prebuilt binaries, relative to the package; only this one is shipped. */
  readonly binaries: (platform: LambdaPlatform) => string;
  /** The binding that must be in that folder (what the package's code loads). */
  readonly binding: string;
  /** Declared dependencies that only its install script uses, never its runtime files: not shipped. */
  readonly installOnlyDependencies: readonly string[];
}

export const NATIVE_MODULE_LAYOUTS: Readonly<Record<string, NativeModuleLayout>> = {
  // dist/binding.js requires `../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`, which
  // links libonnxruntime.so.1 beside it (glibc 2.28: fine on Amazon Linux 2023). lib/ holds the TypeScript sources.
  // adm-zip and global-agent serve script/install (the optional CUDA provider download) only; tests check that
  // dist/ never requires them.
  'onnxruntime-node': {
    runtimeFiles: ['dist'],
    binaries: ({ os, arch }) => `bin/napi-v6/${os}/${arch}`,
    binding: 'onnxruntime_binding.node',
    installOnlyDependencies: ['adm-zip', 'global-agent'],
  },
};

/** One package folder under the asset's `node_modules/`, and what is copied into it. */
export interface PackageCopy {
  /** The package name, i.e. its folder under `node_modules/`. */
  readonly name: string;
  /** The installed package folder (symbolic links resolved). */
  readonly source: string;
  /** Files and folders relative to `source`, each copied to the same relative path. */
  readonly paths: readonly string[];
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

function readPackageJson(folder: string): PackageJson {
  return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * The folder of package `name` as Node.js finds it from `fromDir`: the nearest `node_modules/<name>` up the tree.
 * (Not `require.resolve('<name>/package.json')`: packages with an `exports` map may not export their package.json.)
 */
export function findPackageFolder(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * What to copy into the asset's `node_modules/` for `names`, resolved from `fromDir` as the handler there imports
 * them: each native module with its layout's files and one platform's binaries, and its runtime dependencies
 * (transitively, whole packages but their own `node_modules/`), flattened. Throws for an unknown or missing native
 * module, a missing binding, a missing dependency, or a dependency needed in two versions.
 */
export function planNativeModules(
  names: readonly string[],
  fromDir: string,
  platform: LambdaPlatform,
): readonly PackageCopy[] {
  const planned = new Map<string, PackageCopy>();

  const addDependencies = (folder: string, skip: readonly string[]): void => {
    const owner = readPackageJson(folder);
    for (const dependency of Object.keys(owner.dependencies ?? {})) {
      if (skip.includes(dependency)) continue;
      const source = findPackageFolder(dependency, folder);
      if (!source) throw new Error(`${owner.name ?? folder} needs ${dependency}, which is not installed`);
      const existing = planned.get(dependency);
      if (existing) {
        if (existing.source !== source) {
          throw new Error(
            `${dependency} is needed from both ${existing.source} and ${source}; one node_modules/ cannot hold both`,
          );
        }
        continue;
      }
      const paths = readdirSync(source)
        .filter((entry) => entry !== 'node_modules')
        .sort();
      planned.set(dependency, { name: dependency, source, paths });
      addDependencies(source, []);
    }
  };

  for (const name of names) {
    const layout = NATIVE_MODULE_LAYOUTS[name];
    if (!layout) {
      throw new Error(`No packaging layout for the native module ${name}: add one to NATIVE_MODULE_LAYOUTS`);
    }
    const source = findPackageFolder(name, fromDir);
    if (!source) throw new Error(`Native module ${name} is not installed (looked up from ${fromDir})`);
    const binaries = layout.binaries(platform);
    const binding = join(source, binaries, layout.binding);
    if (!existsSync(binding) || !statSync(binding).isFile()) {
      throw new Error(`${name} has no ${platform.os}/${platform.arch} binding: ${binding} is missing`);
    }
    for (const path of layout.runtimeFiles) {
      if (!existsSync(join(source, path))) throw new Error(`${name}: ${path} is missing in ${source}`);
    }
    planned.set(name, { name, source, paths: ['package.json', ...layout.runtimeFiles, binaries] });
    addDependencies(source, layout.installOnlyDependencies);
  }
  return [...planned.values()];
}

/** Shell commands that copy `plan` into `<outputDir>/node_modules/` (run after esbuild, on the synthesizing machine). */
export function copyIntoNodeModules(plan: readonly PackageCopy[], outputDir: string): string[] {
  const copies = plan.flatMap((pkg) =>
    pkg.paths.map((path) => ({
      from: join(pkg.source, path),
      to: posix.join(outputDir, 'node_modules', pkg.name, path),
    })),
  );
  const folders = [...new Set(copies.map((copy) => posix.dirname(copy.to)))];
  return [
    ...folders.map((folder) => `mkdir -p ${shellQuote(folder)}`),
    // -R: folders; -L: copy what symbolic links point to (npm workspaces link packages).
    ...copies.map((copy) => `cp -RL ${shellQuote(copy.from)} ${shellQuote(copy.to)}`),
  ];
}

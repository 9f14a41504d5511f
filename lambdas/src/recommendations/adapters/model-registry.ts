/**
 * The policy a container serves: loaded once, then the pointer is checked at most once per refresh period, and a
 * new version is loaded beside the old one. A version that fails to load or to match the catalogue is rejected (the
 * caller alarms) and the old one keeps serving; a rejected version is tried again only after `retryRejectedMs`.
 */
import type { Policy, PolicySource } from '../ports';
import type { ModelFiles } from './onnx-policy';
import type { ModelPointer } from './model-store';

export interface ModelRegistryOptions {
  readonly pointer: () => Promise<ModelPointer | null>;
  readonly files: (pointer: ModelPointer) => Promise<ModelFiles>;
  readonly load: (files: ModelFiles) => Promise<Policy & { release?(): Promise<void> }>;
  readonly refreshMs: number;
  readonly retryRejectedMs?: number;
  readonly now?: () => number;
  readonly onLoaded?: (policy: Policy, pointer: ModelPointer) => void;
  readonly onRejected?: (version: string, error: Error) => void;
  /** The pointer could not be read; the current policy keeps serving. */
  readonly onPointerError?: (error: Error) => void;
}

export class ModelRegistry implements PolicySource {
  private policy: (Policy & { release?(): Promise<void> }) | null = null;
  private checkedAt = -Infinity;
  private readonly rejected = new Map<string, number>();
  private checking: Promise<void> | null = null;

  constructor(private readonly options: ModelRegistryOptions) {}

  async current(): Promise<Policy | null> {
    const now = (this.options.now ?? Date.now)();
    if (now - this.checkedAt >= this.options.refreshMs) {
      // Concurrent callers share one check.
      this.checking ??= this.check(now).finally(() => {
        this.checking = null;
      });
      await this.checking;
    }
    return this.policy;
  }

  private async check(now: number): Promise<void> {
    this.checkedAt = now;
    let pointer: ModelPointer | null;
    try {
      pointer = await this.options.pointer();
    } catch (error) {
      this.options.onPointerError?.(error as Error);
      return;
    }
    if (!pointer || pointer.version === this.policy?.version) return;
    const rejectedAt = this.rejected.get(pointer.version);
    if (rejectedAt !== undefined && now - rejectedAt < (this.options.retryRejectedMs ?? 15 * 60_000)) return;
    try {
      const loaded = await this.options.load(await this.options.files(pointer));
      if (loaded.version !== pointer.version) {
        await loaded.release?.();
        throw new Error(`the pointer names version ${pointer.version} but its manifest says ${loaded.version}`);
      }
      const previous = this.policy;
      this.policy = loaded;
      this.rejected.delete(pointer.version);
      this.options.onLoaded?.(loaded, pointer);
      // In-flight inferences on the previous session finish first: release it a little later.
      if (previous?.release) setTimeout(() => void previous.release?.(), 5_000).unref();
    } catch (error) {
      this.rejected.set(pointer.version, now);
      this.options.onRejected?.(pointer.version, error as Error);
    }
  }
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { setActEnvironment } from '../../src/core/scheduling/act-environment';
import { createNotifyScheduler } from '../../src/core/scheduling/notify-scheduler';

describe('notify scheduler', () => {
  afterEach(() => {
    setActEnvironment(() => true);
  });

  it('coalesces a burst of notifications into one call per listener', () => {
    setActEnvironment(() => false);
    const flushes: Array<() => void> = [];
    const scheduler = createNotifyScheduler((flush) => flushes.push(flush));
    const a = vi.fn();
    const b = vi.fn();
    for (let i = 0; i < 100; i++) {
      scheduler.schedule(a);
      scheduler.schedule(b);
    }
    expect(flushes).toHaveLength(1);
    expect(a).not.toHaveBeenCalled();
    flushes[0]!();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    scheduler.schedule(a);
    expect(flushes).toHaveLength(2);
  });

  it("notifies at once inside the act environment the React layer installs", () => {
    setActEnvironment(() => true);
    const defer = vi.fn();
    const listener = vi.fn();
    createNotifyScheduler(defer).schedule(listener);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(defer).not.toHaveBeenCalled();
  });
});

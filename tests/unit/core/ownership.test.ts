import { describe, expect, it } from 'vitest';
import { SessionOwnership } from '../../../lib/core/index.ts';

describe('SessionOwnership', () => {
  it('new ownership includes the owner as subscriber', () => {
    const ownership = new SessionOwnership('client-1');
    expect(ownership.ownerId).toBe('client-1');
    expect(ownership.subscriberIds.has('client-1')).toBe(true);
    expect(ownership.subscriberIds.size).toBe(1);
  });

  it('add_subscriber adds to the set', () => {
    const ownership = new SessionOwnership('owner');
    ownership.addSubscriber('subscriber-1');
    expect(ownership.subscriberIds.has('subscriber-1')).toBe(true);
    expect(ownership.subscriberIds.size).toBe(2);
  });

  it('adding a subscriber twice keeps one entry', () => {
    const ownership = new SessionOwnership('owner');
    ownership.addSubscriber('a');
    ownership.addSubscriber('a');
    expect(ownership.subscriberCount).toBe(2);
  });

  it('remove_subscriber removes from the set and reports a non-owner', () => {
    const ownership = new SessionOwnership('owner');
    ownership.addSubscriber('subscriber-1');
    const wasOwner = ownership.removeSubscriber('subscriber-1');
    expect(ownership.subscriberIds.has('subscriber-1')).toBe(false);
    expect(wasOwner).toBe(false);
  });

  it('remove_subscriber returns true for the owner', () => {
    const ownership = new SessionOwnership('owner');
    expect(ownership.removeSubscriber('owner')).toBe(true);
  });

  it('transfer to a subscriber succeeds and restarts owned_since', () => {
    const ownership = new SessionOwnership('owner', 1000);
    ownership.addSubscriber('new-owner');
    expect(ownership.transferTo('new-owner', 2000)).toBe(true);
    expect(ownership.ownerId).toBe('new-owner');
    expect(ownership.ownedSince).toBe(2000);
  });

  it('transfer to a non-subscriber fails and keeps the owner', () => {
    const ownership = new SessionOwnership('owner', 1000);
    expect(ownership.transferTo('not-subscribed', 2000)).toBe(false);
    expect(ownership.ownerId).toBe('owner');
    expect(ownership.ownedSince).toBe(1000);
  });

  it('pick_next_owner returns the remaining subscriber', () => {
    const ownership = new SessionOwnership('owner');
    ownership.addSubscriber('candidate');
    ownership.removeSubscriber('owner');
    expect(ownership.pickNextOwner()).toBe('candidate');
  });

  it('pick_next_owner returns none when nobody is left', () => {
    const ownership = new SessionOwnership('owner');
    ownership.removeSubscriber('owner');
    expect(ownership.pickNextOwner()).toBeUndefined();
  });

  it('pick_next_owner is the longest-standing subscriber, not an arbitrary one', () => {
    const ownership = new SessionOwnership('owner');
    for (const id of ['zed', 'alpha', 'mid']) ownership.addSubscriber(id);
    ownership.removeSubscriber('owner');
    expect(ownership.pickNextOwner()).toBe('zed');
    ownership.removeSubscriber('zed');
    expect(ownership.pickNextOwner()).toBe('alpha');
  });

  it('pick_next_owner skips the current owner while it is still subscribed', () => {
    const ownership = new SessionOwnership('owner');
    ownership.addSubscriber('b');
    expect(ownership.pickNextOwner()).toBe('b');
  });

  it('should_cleanup when no subscribers are left', () => {
    const ownership = new SessionOwnership('owner');
    ownership.removeSubscriber('owner');
    expect(ownership.shouldCleanup()).toBe(true);
  });

  it('should not cleanup while subscribers exist', () => {
    expect(new SessionOwnership('owner').shouldCleanup()).toBe(false);
  });

  it('is_owner is true for the owner only', () => {
    const ownership = new SessionOwnership('owner');
    expect(ownership.isOwner('owner')).toBe(true);
    expect(ownership.isOwner('other')).toBe(false);
  });
});

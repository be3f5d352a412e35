import { describe, expect, it } from 'vitest';
import { shortcutOf, STATUS_KEYS, type KeyPress } from './shortcuts';

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : '',
  ctrl: false,
  meta: false,
  alt: false,
  shift: false,
  typing: false,
  ...over,
});

describe('keyboard shortcuts', () => {
  it("mirror the console's set with keys the browser leaves to the page", () => {
    expect(shortcutOf(press('/'))).toEqual({ kind: 'search' });
    expect(shortcutOf(press('q'))).toEqual({ kind: 'queue' });
    expect(shortcutOf(press('a'))).toEqual({ kind: 'agent' });
    expect(shortcutOf(press('k'))).toEqual({ kind: 'ack' });
    expect(shortcutOf(press('K', { shift: true }))).toEqual({ kind: 'ack_all' });
    expect(shortcutOf(press('n'))).toEqual({ kind: 'new_call' });
    expect(shortcutOf(press('?', { shift: true }))).toEqual({ kind: 'help' });
    expect(shortcutOf(press('Escape'))).toEqual({ kind: 'escape' });
  });

  it("take the console's own chords where a browser lets the page have them", () => {
    expect(shortcutOf(press('k', { ctrl: true }))).toEqual({ kind: 'ack' });
    expect(shortcutOf(press('k', { meta: true }))).toEqual({ kind: 'ack' });
    expect(shortcutOf(press('K', { ctrl: true, shift: true }))).toEqual({ kind: 'ack_all' });
    // Alt+Q types "œ" on a Mac: the physical key decides
    expect(shortcutOf(press('œ', { alt: true, code: 'KeyQ' }))).toEqual({ kind: 'queue' });
    expect(shortcutOf(press('å', { alt: true, code: 'KeyA' }))).toEqual({ kind: 'agent' });
  });

  it('pick the status filters in the console order: live, waiting, active, on hold, ended, all', () => {
    const picked = ['1', '2', '3', '4', '5', '6'].map((k) => shortcutOf(press(k)));
    expect(picked).toEqual([
      { kind: 'status', status: ['waiting', 'active', 'on_hold'] },
      { kind: 'status', status: ['waiting'] },
      { kind: 'status', status: ['active'] },
      { kind: 'status', status: ['on_hold'] },
      { kind: 'status', status: ['ended'] },
      { kind: 'status', status: [] },
    ]);
    expect(STATUS_KEYS.map((s) => s.label)[0]).toBe('Live (not ended)');
  });

  it('hand a shortcut a copy of the filter, never the table itself', () => {
    const live = shortcutOf(press('1'));
    if (live?.kind !== 'status') throw new Error('not a status shortcut');
    live.status.pop();
    expect(STATUS_KEYS[0]!.status).toEqual(['waiting', 'active', 'on_hold']);
  });

  it('leave the browser its own keys: find, tabs, a new window, reload', () => {
    expect(shortcutOf(press('f', { ctrl: true }))).toBeNull();
    expect(shortcutOf(press('1', { ctrl: true }))).toBeNull();
    expect(shortcutOf(press('n', { ctrl: true }))).toBeNull();
    expect(shortcutOf(press('r', { meta: true }))).toBeNull();
    expect(shortcutOf(press('f', { alt: true, code: 'KeyF' }))).toBeNull();
    expect(shortcutOf(press('7'))).toBeNull();
  });

  it('never act while the supervisor types in a field, Escape included', () => {
    for (const key of ['/', 'q', 'k', '1', 'n', '?', 'Escape']) expect(shortcutOf(press(key, { typing: true }))).toBeNull();
    expect(shortcutOf(press('k', { ctrl: true, typing: true }))).toBeNull();
  });
});

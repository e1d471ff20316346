export * from './agent.ts';
export * from './bus.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './lifecycle.ts';
export * from './manager.ts';
export * from './ownership.ts';
export * from './session.ts';

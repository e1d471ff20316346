export * from './decisions.ts';
export * from './session.ts';
export * from './transcript.ts';
export * from './events.ts';
export * from './requests.ts';
export * from './errors.ts';
export * from './headers.ts';

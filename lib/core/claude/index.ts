export * from './claude-agent.ts';
export * from './decisions/describe.ts';
export * from './executable.ts';
export * from './failure.ts';
export * from './message-mapper.ts';
export * from './tool-calls.ts';

// Building blocks of the CLI that tests and other tools reuse.
export { simulate, type Simulation, type SimulationOptions } from './simulate/simulate.ts';
export { computeExpectedState, type ExpectedStudent } from './simulate/expected.ts';
export { readExpectFile, writeExpectFile, type ExpectFile } from './simulate/expect-file.ts';
export { isLuhnValid, isValidIdNumber } from './simulate/check-digits.ts';
export { sendAll, shouldResend, type PushOutcome, type SendOptions } from './push/send-all.ts';
export { resolveTarget, type TargetOptions } from './push/target.ts';
export { type PushTarget } from './push/signed-request.ts';
export { summarize, formatSummary, type SendSummary } from './push/summary.ts';
export { compareStudents, formatDifferences, type Difference } from './verify/compare.ts';
export { StudentReader, type StoredState } from './verify/student-reader.ts';

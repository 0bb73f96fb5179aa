// V8's CallSites (the frames Error.prepareStackTrace is given), which depd and http-errors keep to
// name a deprecated call's site: V8 makes them only for a stack being taken, so a restored one is a
// stand-in that answers each method with what the original answered at the checkpoint.
import type { ProgramValue } from './program-value';

/** The methods whose answers are carried; getThis and getFunction answer undefined, as in strict code. */
const CALL_SITE_METHODS = [
  'getTypeName',
  'getFunctionName',
  'getMethodName',
  'getFileName',
  'getLineNumber',
  'getColumnNumber',
  'getEvalOrigin',
  'isToplevel',
  'isEval',
  'isNative',
  'isConstructor',
  'isAsync',
  'isPromiseAll',
  'getPromiseIndex',
  'getScriptNameOrSourceURL',
  'getScriptHash',
  'getEnclosingColumnNumber',
  'getEnclosingLineNumber',
  'getPosition',
  'toString',
] as const;

/** What a CallSite answers, as JSON (factory arguments travel before any object is filled). */
export function callSiteAnswers(site: ProgramValue): string {
  const answers: Record<string, unknown> = {};
  for (const name of CALL_SITE_METHODS) {
    if (typeof site[name] !== 'function') continue; // a method this Node's V8 does not have
    try {
      answers[name] = site[name]();
    } catch {
      // a method that throws for this frame is left out: the stand-in answers undefined
    }
  }
  return JSON.stringify(answers);
}

const ANSWERS = Symbol('callSiteAnswers');

/** The prototype of restored CallSites: each method answers what the original did. */
const RestoredCallSite = Object.fromEntries([
  ['getThis', () => undefined],
  ['getFunction', () => undefined],
  ...CALL_SITE_METHODS.map((name) => [
    name,
    function (this: { [ANSWERS]: Record<string, unknown> }) {
      return this[ANSWERS][name];
    },
  ]),
]);

/** A restored CallSite, from callSiteAnswers's text. */
export function restoredCallSite(answers: string): object {
  return Object.create(RestoredCallSite, { [ANSWERS]: { value: JSON.parse(answers) } });
}

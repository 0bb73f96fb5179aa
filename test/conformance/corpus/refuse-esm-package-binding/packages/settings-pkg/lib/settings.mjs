// A package that keeps its options as marked keeps its `defaults`: an exported `let` its own
// functions reassign.
export let defaults = { mode: 'plain', level: 1 };

export function changeDefaults(next) {
  defaults = next;
}

export function setOptions(options) {
  changeDefaults({ ...defaults, ...options });
  return defaults;
}

export function describe(text) {
  return `[${defaults.mode}/${defaults.level}] ${text}`;
}

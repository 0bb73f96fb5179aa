// ferry-lines: 2
// ferry-exit: 1
// ferry-stderr: tail
// An exception thrown by a closure made before the checkpoint ends the restored program: Node's
// report on stderr (the file and line, the source line with its caret, the stack) is the same.
function makeJob(limit) {
  let runs = 0;
  return () => {
    runs++;
    console.log(`run ${runs}`);
    if (runs === limit) throw new Error(`limit ${limit} reached`);
  };
}

setInterval(makeJob(4), 60);

// ferry-refuse: sig: an AbortSignal of no AbortController
// AbortSignal.timeout() keeps its timer inside Node: not carried yet, refused by path.
const state = { sig: AbortSignal.timeout(30000) };
console.log('waiting');
setInterval(() => state.sig.aborted, 1000);

'use strict';
// some/find via callbacks resumed mid-scan.
function probe(x, i) { console.log('probe', i, x); return x > 10; } // @bp 2 3
const xs = [2, 4, 8, 16, 32];
console.log('some', xs.some((x, i) => probe(x, i)));
console.log('find', xs.find((x, i) => probe(x, i)));

// ferry-refuse: cursor: an Array Iterator whose position cannot be read
// An Array Iterator held part way keeps its index where nothing can read it (a small integer
// inside the object): refused by path, and the program goes on.
const state = { cursor: ['a', 'b', 'c', 'd'].values() };
state.cursor.next();
console.log('iterating');
setInterval(() => state.cursor, 1000);

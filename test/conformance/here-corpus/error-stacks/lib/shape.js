"use strict";
// Output of the TypeScript compiler (tsc, CommonJS) for shape.ts: it names its source map, which a
// run without --enable-source-maps does not apply. The map itself is left out (see error-stacks.js).
Object.defineProperty(exports, "__esModule", { value: true });
exports.area = area;
function area(shape) {
    if (shape.w < 0 || shape.h < 0) {
        throw new RangeError(`negative side in ${shape.id}`);
    }
    return shape.w * shape.h;
}
//# sourceMappingURL=shape.js.map

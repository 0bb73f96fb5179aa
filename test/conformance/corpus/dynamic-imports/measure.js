const { perimeter, kind } = require('shapes-pkg');

exports.perimeter = (side) => `${perimeter(side)} (${kind})`;

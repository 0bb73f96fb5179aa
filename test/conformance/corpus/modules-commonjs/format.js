const path = require('path');
module.exports = { format: (...parts) => `[${path.basename(__filename)}] ${parts.join(' | ')}` };

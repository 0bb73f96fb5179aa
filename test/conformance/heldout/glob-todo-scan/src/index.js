// TODO: wire the cli flags
module.exports = require("./util/strings");

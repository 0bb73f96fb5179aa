// ferry-lines: 2,4
// winston: a logger with a custom format and a Console transport.
const winston = require('winston');
const logger = winston.createLogger({
  level: 'debug',
  format: winston.format.combine(winston.format.label({ label: 'ferry' }), winston.format.printf((i) => `${i.label} ${i.level}: ${i.message}`)),
  transports: [new winston.transports.Console({ forceConsole: true })],
});
let n = 0;
const iv = setInterval(() => {
  n++;
  logger.log(n % 3 ? 'info' : 'debug', `tick ${n}`);
  if (n === 7) clearInterval(iv);
}, 200);

module.exports = (round) => `#${round}`;

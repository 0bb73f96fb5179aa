// Never loaded before the checkpoint.
exports.describe = (entry) => `${entry.name} weighs ${entry.weight} kg`;

exports.sides = () => 'no';

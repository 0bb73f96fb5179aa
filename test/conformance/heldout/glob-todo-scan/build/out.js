// TODO generated, never read

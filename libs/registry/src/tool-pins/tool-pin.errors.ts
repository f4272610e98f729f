/** Thrown while the pins have not been loaded from the database yet. */
export class ToolPinsNotLoadedError extends Error {
  constructor() {
    super('the tool pins are not loaded yet (waiting for the database)');
    this.name = 'ToolPinsNotLoadedError';
  }
}

export class ToolPinNotFoundError extends Error {
  constructor(serverId: string, tool: string) {
    super(`no pin for tool "${tool}" of server "${serverId}"`);
    this.name = 'ToolPinNotFoundError';
  }
}

/** A report the registry cannot read: an unknown server, or a tool that is not an MCP Tool object. */
export class InvalidToolReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidToolReportError';
  }
}

/** Requests of the selection area (filled in as the area lands). */
export const selectionRequests = {};

/** Requests of the ml area (filled in as the area lands). */
export const mlRequests = {};

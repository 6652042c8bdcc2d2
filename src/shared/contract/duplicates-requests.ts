/** Requests of the duplicates area (filled in as the area lands). */
export const duplicatesRequests = {};

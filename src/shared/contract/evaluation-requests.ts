/** Requests of the evaluation area (filled in as the area lands). */
export const evaluationRequests = {};

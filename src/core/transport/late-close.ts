/**
 * Chromium keeps the socket of a request cancelled before its response headers open for about
 * 5 s (seen in the churn test, with EventSource and fetch alike), so a budget slot freed at once
 * would let the next stream open while the server still counts the old one. Transports close such
 * a request once its headers arrive, waiting at most this long for a server that never answers.
 */
export const LATE_CLOSE_MS = 5000;

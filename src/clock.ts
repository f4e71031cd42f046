/**
 * The app's idea of now. Always Date.now() in the app; a test may move it to send a
 * message "eight days ago" through the real routes.
 */
export const clock = {
  now: (): number => Date.now(),
};

/** Who has been welcomed (`user_welcomes`): each person is greeted once. */
export interface WelcomeStore {
  /**
   * Records that `userKey` was welcomed; false when they already were (so two install events
   * racing each other send one welcome).
   */
  claimWelcome(userKey: string, at: string): Promise<boolean>;
  /** Forgets a welcome: the send failed, or the person removed the app (a reinstall welcomes again). */
  forgetWelcome(userKey: string): Promise<void>;
}

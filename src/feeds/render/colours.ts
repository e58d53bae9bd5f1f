/**
 * One colour per kind of post, so a member scanning the channel tells a kill from a relocation at a
 * glance. Highlights are warmer than plain kills; server notices are cool.
 */
export const COLOURS = {
  kill: 0xc0392b,
  longShot: 0xe67e22,
  streak: 0xf1c40f,
  vehicle: 0x8e44ad,
  suicide: 0x7f8c8d,
  relocation: 0x95a5a6,
  fall: 0xa0522d,
  environment: 0x27ae60,
  joined: 0x2ecc71,
  left: 0xe74c3c,
  queue: 0x95a5a6,
  airdrop: 0x3498db,
  mission: 0x9b59b6,
  worldEvent: 0x1abc9c,
} as const;

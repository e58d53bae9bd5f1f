/** The permission bits the stand-in uses (Discord's values) and Discord's permission computation. */
export const Permission = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  Connect: 1n << 20n,
  UseApplicationCommands: 1n << 31n,
} as const;

/** Every permission Discord has today: what an administrator or the owner is given. */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

export interface Role {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  managedBy?: string;
}

export interface Overwrite {
  id: string;
  /** 0 role, 1 member. */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface PermissionSubject {
  guildId: string;
  ownerId: string;
  roles: Role[];
  userId: string;
  memberRoleIds: string[];
}

/** Discord's algorithm: base from roles, Administrator or owner gives all, then channel overwrites in order. */
export function computePermissions(s: PermissionSubject, overwrites: Overwrite[]): bigint {
  if (s.userId === s.ownerId) return ALL_PERMISSIONS;
  let base = 0n;
  for (const role of s.roles) if (role.id === s.guildId || s.memberRoleIds.includes(role.id)) base |= role.permissions;
  if (base & Permission.Administrator) return ALL_PERMISSIONS;
  const apply = (o: Overwrite | undefined) => {
    if (o) base = (base & ~o.deny) | o.allow;
  };
  apply(overwrites.find((o) => o.id === s.guildId));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && s.memberRoleIds.includes(o.id)) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  base = (base & ~deny) | allow;
  apply(overwrites.find((o) => o.type === 1 && o.id === s.userId));
  return base;
}

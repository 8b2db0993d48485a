/**
 * Azure resource ids (`/subscriptions/{id}/resourceGroups/{rg}/providers/{ns}/{type}/{name}/...`):
 * the parts the flow log decoders keep. Azure writes them in upper case in NSG flow logs and mixed
 * case elsewhere, so segment names are matched without regard to case and values kept as written.
 */

/** The parts of a resource id the flow log decoders use; absent parts are null. */
export interface AzureResource {
  subscription: string | null;
  resourceGroup: string | null;
  nsg: string | null;
  vnet: string | null;
  subnet: string | null;
  nic: string | null;
  networkWatcher: string | null;
}

/** Splits a resource id into the parts above. */
export function parseResourceId(id: unknown): AzureResource {
  const r: AzureResource = { subscription: null, resourceGroup: null, nsg: null, vnet: null, subnet: null, nic: null, networkWatcher: null };
  if (typeof id !== 'string') return r;
  const parts = id.split('/');
  for (let i = 0; i + 1 < parts.length; i++) {
    const v = parts[i + 1];
    switch (parts[i].toLowerCase()) {
      case 'subscriptions':
        r.subscription = v;
        break;
      case 'resourcegroups':
        r.resourceGroup = v;
        break;
      case 'networksecuritygroups':
        r.nsg = v;
        break;
      case 'virtualnetworks':
        r.vnet = v;
        break;
      case 'subnets':
        r.subnet = v;
        break;
      case 'networkinterfaces':
        r.nic = v;
        break;
      case 'networkwatchers':
        r.networkWatcher = v;
        break;
      default:
        continue;
    }
    i++;
  }
  return r;
}

/**
 * The region of a network watcher named by Azure's default convention (`NetworkWatcher_<region>`),
 * or null: watchers are regional, and flow logs carry no region field of their own.
 */
export function watcherRegion(name: string | null): string | null {
  const m = name === null ? null : /^networkwatcher_([a-z0-9]+)$/i.exec(name);
  return m === null ? null : m[1].toLowerCase();
}

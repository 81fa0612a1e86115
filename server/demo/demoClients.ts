/**
 * The demo MSPs' clients and the organization names the fake vendors show for them, side by
 * side so that the mapping screen has something true to suggest: some clients are named exactly
 * as at a vendor (preselected), some loosely ("Dataforth Corp." against "DATAFORTH CORPORATION",
 * equal once normalised, or "Copperfield Bakery" against "Copperfield Bakery & Cafe", for review)
 * and some exist at no vendor at all. Organizations past the named ones keep the fakes' generated
 * names ("Customer 42 Ltd"), so Northwind still has 1,500 to discover.
 */
export interface DemoClientWorld {
  /** 25 client names, as the partner typed them. */
  clients: readonly string[];
  /** Syncro customer business names by customer id. */
  syncro: Readonly<Record<number, string>>;
  /** MSP360 company names by company number. */
  msp360: Readonly<Record<number, string>>;
}

export const demoClientWorlds: Record<'northwind' | 'contoso', DemoClientWorld> = {
  northwind: {
    clients: [
      // Named exactly as at Syncro (and some at MSP360).
      'Harbor Dental Group',
      'Bluewave Logistics',
      'Cedar Ridge Veterinary',
      'Pinecrest Law Offices',
      'Summit Roofing',
      'Oakhaven Family Practice',
      'Riverside Accounting',
      'Lakeshore Realty',
      // Loosely: equal once case, punctuation, "&" and legal forms are set aside.
      'Dataforth Corp.',
      'Smith & Sons Plumbing',
      'Northgate Architects LLC',
      'Meridian Health Partners',
      // Loosely: a word more or less at the vendor, for review.
      'Bright Path Learning',
      'Granite State Insurance',
      'Copperfield Bakery',
      // Only at MSP360.
      'Evergreen Landscaping',
      // At no vendor.
      'Willow Creek Winery',
      'Ironclad Security Services',
      'Maple Street Pediatrics',
      'Quantum Print Works',
      'Silver Lining Consulting',
      'Trailhead Outfitters',
      'Redwood Property Management',
      'Sunrise Senior Living',
      'Falcon Aviation Services',
    ],
    syncro: {
      1: 'Harbor Dental Group',
      2: 'Bluewave Logistics',
      3: 'Cedar Ridge Veterinary',
      4: 'Pinecrest Law Offices',
      5: 'Summit Roofing',
      6: 'Oakhaven Family Practice',
      7: 'Riverside Accounting',
      8: 'Lakeshore Realty',
      9: 'DATAFORTH CORPORATION',
      10: 'Smith and Sons Plumbing Ltd',
      11: 'Northgate Architects',
      12: 'Meridian Health Partners, Inc.',
      13: 'Bright Path Learning Center',
      14: 'Granite State Insurance Agency',
      15: 'Copperfield Bakery & Cafe',
      // Organizations no client has (yet).
      16: 'Keystone Manufacturing',
      17: 'Hilltop Community Church',
      18: 'Anchor Marine Supply',
    },
    msp360: {
      1: 'Harbor Dental Group',
      2: 'Bluewave Logistics LLC',
      3: 'Dataforth Corp',
      4: 'Summit Roofing Co',
      5: 'Evergreen Landscaping',
      6: 'Keystone Manufacturing',
    },
  },
  contoso: {
    clients: [
      'Fabrikam Legal',
      'Tailspin Toys',
      'Adventure Works Cycles',
      'Alpine Ski House',
      'Coho Winery',
      'Wingtip Toys',
      'Litware',
      'Proseware LLC',
      'Margies Travel',
      'Trey Research',
      'Woodgrove Medical',
      'Lucerne Publishing',
      'Humongous Insurance',
      'Fourth Coffee',
      'Blue Yonder Airlines',
      'City Power & Light',
      'Consolidated Messenger',
      'Graphic Design Institute',
      'School of Fine Art',
      'VanArsdel Ltd',
      'Relecloud',
      'Wide World Importers',
      'A. Datum Corporation',
      'Best For You Organics',
      'Southridge Video',
    ],
    syncro: {
      1: 'Fabrikam Legal',
      2: 'Tailspin Toys',
      3: 'Adventure Works Cycles',
      4: 'Alpine Ski House',
      5: 'Coho Winery',
      6: 'WINGTIP TOYS INC',
      7: 'Litware, Inc.',
      8: 'Proseware',
      9: "Margie's Travel",
      10: 'Trey Research GmbH',
      11: 'Woodgrove Medical Center',
      12: 'Lucerne Publishing Group',
    },
    msp360: {
      1: 'Fourth Coffee',
      2: 'Humongous Insurance Co.',
    },
  },
};

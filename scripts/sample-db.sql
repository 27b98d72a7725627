-- Folio's sample database: a small OpenERP-shaped schema (company, users, partners and addresses,
-- products, sale orders, invoices, stock pickings and moves, production lots) with seed data, so that
-- OpenERP's data templates (stock picking list, lot overview, partner address labels) and custom
-- reports can be evaluated against it. The model mapping for these tables is scripts/sample-models.yaml.
--
-- The rows behind pickings 12 and 15 are those of the hand-written sample
-- ../shared/openerp/samples/stock_picking_4x.data.xml; the invoices give the custom report of
-- samples/custom_table_5x.data.xml (invoiced amount per partner).
--
-- Load into an empty database: psql -v ON_ERROR_STOP=1 -f scripts/sample-db.sql DBURL
-- (scripts/pg-test-server.sh start does it for a throwaway server).

SET client_encoding = 'UTF8';
SET client_min_messages = warning;

CREATE TABLE res_country (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    code varchar(2)
);

CREATE TABLE res_country_state (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    code varchar(8),
    country_id integer REFERENCES res_country(id)
);

CREATE TABLE res_partner (
    id integer PRIMARY KEY,
    name varchar(128) NOT NULL,
    title varchar(32),
    ref varchar(32),
    lang varchar(8),
    active boolean NOT NULL DEFAULT true,
    credit_limit numeric(16,2)
);

CREATE TABLE res_partner_address (
    id integer PRIMARY KEY,
    partner_id integer REFERENCES res_partner(id),
    type varchar(16),
    title varchar(32),
    name varchar(128),
    street varchar(128),
    street2 varchar(128),
    zip varchar(24),
    city varchar(128),
    state_id integer REFERENCES res_country_state(id),
    country_id integer REFERENCES res_country(id),
    phone varchar(64),
    email varchar(240)
);

CREATE TABLE res_partner_category (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL
);

CREATE TABLE res_partner_category_rel (
    partner_id integer NOT NULL REFERENCES res_partner(id),
    category_id integer NOT NULL REFERENCES res_partner_category(id),
    PRIMARY KEY (partner_id, category_id)
);

CREATE TABLE res_company (
    id integer PRIMARY KEY,
    name varchar(128) NOT NULL,
    partner_id integer REFERENCES res_partner(id),
    rml_header1 varchar(200),
    rml_footer1 varchar(200),
    rml_footer2 varchar(200),
    currency varchar(3)
);

CREATE TABLE res_users (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    login varchar(64) NOT NULL UNIQUE,
    signature text,
    company_id integer REFERENCES res_company(id),
    address_id integer REFERENCES res_partner_address(id)
);

CREATE TABLE product_uom (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL
);

CREATE TABLE product_product (
    id integer PRIMARY KEY,
    name varchar(128) NOT NULL,
    default_code varchar(64),
    variants varchar(64),
    list_price numeric(16,2),
    standard_price numeric(16,2),
    uom_id integer REFERENCES product_uom(id),
    active boolean NOT NULL DEFAULT true
);

CREATE TABLE stock_location (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    usage varchar(16) NOT NULL
);

CREATE TABLE stock_tracking (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    serial varchar(64)
);

CREATE TABLE stock_production_lot (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    ref varchar(64),
    date timestamp
);

CREATE TABLE stock_picking (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    origin varchar(64),
    type varchar(8),
    date timestamp,
    date_done timestamp,
    address_id integer REFERENCES res_partner_address(id),
    state varchar(16) NOT NULL
);

CREATE TABLE stock_move (
    id integer PRIMARY KEY,
    name varchar(128),
    picking_id integer REFERENCES stock_picking(id),
    product_id integer NOT NULL REFERENCES product_product(id),
    product_qty numeric(16,3) NOT NULL,
    product_uom integer REFERENCES product_uom(id),
    location_id integer NOT NULL REFERENCES stock_location(id),
    location_dest_id integer NOT NULL REFERENCES stock_location(id),
    tracking_id integer REFERENCES stock_tracking(id),
    prodlot_id integer REFERENCES stock_production_lot(id),
    date timestamp,
    state varchar(16) NOT NULL
);

CREATE TABLE sale_order (
    id integer PRIMARY KEY,
    name varchar(64) NOT NULL,
    partner_id integer NOT NULL REFERENCES res_partner(id),
    partner_invoice_id integer REFERENCES res_partner_address(id),
    user_id integer REFERENCES res_users(id),
    date_order date,
    state varchar(16) NOT NULL,
    amount_total numeric(16,2)
);

CREATE TABLE sale_order_line (
    id integer PRIMARY KEY,
    order_id integer NOT NULL REFERENCES sale_order(id),
    sequence integer,
    product_id integer REFERENCES product_product(id),
    name varchar(256),
    product_uom_qty numeric(16,3),
    product_uom integer REFERENCES product_uom(id),
    price_unit numeric(16,2),
    discount numeric(5,2)
);

CREATE TABLE account_invoice (
    id integer PRIMARY KEY,
    number varchar(32),
    type varchar(16) NOT NULL,
    partner_id integer NOT NULL REFERENCES res_partner(id),
    address_invoice_id integer REFERENCES res_partner_address(id),
    date_invoice date,
    state varchar(16) NOT NULL,
    amount_untaxed numeric(16,2),
    amount_tax numeric(16,2),
    amount_total numeric(16,2)
);

CREATE TABLE account_invoice_line (
    id integer PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES account_invoice(id),
    product_id integer REFERENCES product_product(id),
    name varchar(256),
    quantity numeric(16,3),
    price_unit numeric(16,2),
    price_subtotal numeric(16,2)
);

CREATE TABLE ir_attachment (
    id integer PRIMARY KEY,
    name varchar(128) NOT NULL,
    datas_fname varchar(128),
    res_model varchar(64),
    res_id integer,
    datas bytea
);

INSERT INTO res_country (id, name, code) VALUES
    (1, 'Belgium', 'BE'), (2, 'Germany', 'DE'), (3, 'Taiwan', 'TW'), (4, 'Switzerland', 'CH'),
    (5, 'Greece', 'GR'), (6, 'Japan', 'JP'), (7, 'France', 'FR');

INSERT INTO res_country_state (id, name, code, country_id) VALUES
    (1, 'Nordrhein-Westfalen', 'NW', 2), (2, 'Vaud', 'VD', 4), (3, '東京都', '13', 6);

INSERT INTO res_partner (id, name, title, ref, lang, active, credit_limit) VALUES
    (1, 'Tiny sprl', 'sprl', 'TINY', 'fr_BE', true, NULL),
    (3, 'ASUStek', NULL, 'ASUS', 'en_US', true, 25000),
    (5, 'Müller Büromöbel', 'GmbH', 'MBM', 'de_DE', true, 10000),
    (7, 'Camptocamp', 'SA', 'C2C', 'fr_CH', true, 5000),
    (8, 'Agrolait', 'SA', 'AGR', 'fr_BE', true, 15000),
    (9, 'Müller & Söhne GmbH', 'GmbH', 'MUS', 'de_DE', true, 50000),
    (12, 'Les Caves « Élégance » & Fils', 'sprl', 'CAVES', 'fr_BE', true, 2500),
    (14, 'Ελληνικά Τρόφιμα Α.Ε.', 'Α.Ε.', 'GR1', 'el_GR', true, 0),
    (15, '東京商事株式会社', NULL, 'JP1', 'ja_JP', false, NULL);

INSERT INTO res_partner_address (id, partner_id, type, title, name, street, street2, zip, city, state_id, country_id, phone, email) VALUES
    (1, 1, 'default', NULL, 'Tiny sprl', 'Chaussée de Namur 40', NULL, '1367', 'Gérompont', NULL, 1, '(+32).81.81.37.00', 'info@tiny.be'),
    (2, 8, 'invoice', 'Mr.', 'Thomas Passot', '69 rue de Chimay', NULL, '5478', 'Wavre', NULL, 1, NULL, NULL),
    (3, 8, 'default', 'Mr.', 'Luc Maurer', 'Rue des Palais 51', 'bte 33', '1030', 'Bruxelles', NULL, 1, '+32 2 555 01 01', 'luc@agrolait.example'),
    (4, 12, 'default', 'Ms.', 'Sylvie Lelitre', '69 rue de Chimay', NULL, '5478', 'Wavre', NULL, 1, NULL, NULL),
    (5, 5, NULL, 'Frau', 'Jürgen Größ', 'Königsallee 12', NULL, '40212', 'Düsseldorf', 1, 2, '+49 211 000000', NULL),
    (6, 3, 'delivery', NULL, 'Tang', '31 Hong Kong street', NULL, '23410', 'Taiwan', NULL, 3, NULL, NULL),
    (7, 7, 'default', NULL, 'Camptocamp', 'Chemin de Bérée 4', NULL, '1010', 'Lausanne', 2, 4, NULL, NULL),
    (8, 9, 'invoice', 'Herr', 'Klaus Müller', 'Hauptstraße 5', NULL, '50667', 'Köln', 1, 2, NULL, NULL),
    (9, 14, 'default', 'κ.', 'Γιώργος Παπαδόπουλος', 'Οδός Ερμού 10', NULL, '105 63', 'Αθήνα', NULL, 5, NULL, NULL),
    (10, 15, 'default', NULL, '山田太郎', '千代田区丸の内1-1', NULL, '100-0005', '東京', 3, 6, NULL, NULL);

INSERT INTO res_partner_category (id, name) VALUES (1, 'Customer'), (2, 'Supplier'), (3, 'Prospect');
INSERT INTO res_partner_category_rel (partner_id, category_id) VALUES
    (8, 1), (8, 3), (12, 1), (5, 2), (3, 2), (7, 1), (9, 1), (14, 3);

INSERT INTO res_company (id, name, partner_id, rml_header1, rml_footer1, rml_footer2, currency) VALUES
    (1, 'Tiny sprl', 1, 'Free Open Source ERP',
     'Web: http://tinyerp.com - Tel: (+32).81.81.37.00 - Bank: CPH 126-2013269-07',
     'IBAN: BE74 1262 0121 6907 - SWIFT: CPHBBE75 - VAT: BE0477.472.701', 'EUR');

INSERT INTO res_users (id, name, login, signature, company_id, address_id) VALUES
    (1, 'Administrator', 'admin', E'--\nAdministrator', 1, 1),
    (2, 'Démo Üser', 'demo', NULL, 1, NULL);

INSERT INTO product_uom (id, name) VALUES (1, 'PCE'), (2, 'kg'), (3, 'Unit(s)');

INSERT INTO product_product (id, name, default_code, variants, list_price, standard_price, uom_id) VALUES
    (1, 'Basic PC', 'PC1', NULL, 450.00, 380.00, 1),
    (2, 'Processor AMD Athlon XP 1800+', 'CPU1', NULL, 75.00, 60.00, 1),
    (3, 'DDR 512MB PC400', 'RAM512', 'Kingston', 32.50, 25.00, 1),
    (4, 'Café Arabica', 'COF1', 'Moulu', 12.90, 8.10, 2),
    (5, 'Schraube M8 – Edelstahl', 'SCR8', NULL, 0.15, 0.05, 3);

INSERT INTO stock_location (id, name, usage) VALUES
    (1, 'Stock', 'internal'), (2, 'Shelf 2', 'internal'), (3, 'Customers', 'customer'), (4, 'Suppliers', 'supplier');

INSERT INTO stock_tracking (id, name, serial) VALUES (1, 'LOT-0007', 'SN 4471-A'), (2, 'PACK-0008', NULL);

INSERT INTO stock_production_lot (id, name, ref, date) VALUES
    (1, 'LOT-2007-001', 'A1', '2007-09-01 09:00:00'),
    (2, 'LOT-2007-002', 'B7', '2007-09-02 09:00:00'),
    (3, 'LOT-2007-003', NULL, '2007-09-03 09:00:00');

INSERT INTO stock_picking (id, name, origin, type, date, address_id, state) VALUES
    (12, 'PACK12', 'SO007', 'out', '2007-09-14 10:32:05', 3, 'assigned'),
    (15, 'OUT/00015', 'SO009', 'out', '2007-09-15 08:00:00', 4, 'confirmed'),
    (16, 'IN/00016', 'PO002', 'in', '2007-09-02 14:00:00', 5, 'done'),
    (17, 'OUT/00017', NULL, 'out', '2007-09-20 11:00:00', NULL, 'draft');

INSERT INTO stock_move (id, name, picking_id, product_id, product_qty, product_uom, location_id, location_dest_id, tracking_id, prodlot_id, date, state) VALUES
    (101, 'Basic PC', 12, 1, 2, 1, 1, 3, 1, NULL, '2007-09-14 10:32:05', 'assigned'),
    (102, 'Processor AMD Athlon XP 1800+', 12, 2, 4, 1, 1, 3, NULL, NULL, '2007-09-14 10:32:05', 'assigned'),
    (103, 'DDR 512MB PC400', 15, 3, 10, 1, 2, 3, NULL, NULL, '2007-09-15 08:00:00', 'confirmed'),
    (104, 'Basic PC', 16, 1, 20, 1, 4, 1, NULL, 1, '2007-09-02 14:00:00', 'done'),
    (105, 'Processor AMD Athlon XP 1800+', 16, 2, 50, 1, 4, 1, NULL, 1, '2007-09-02 14:00:00', 'done'),
    (106, 'DDR 512MB PC400', 16, 3, 30, 1, 4, 2, NULL, 2, '2007-09-02 14:00:00', 'done'),
    (107, 'Basic PC', NULL, 1, 5, 1, 1, 3, NULL, 1, '2007-09-10 16:00:00', 'done'),
    (108, 'Café Arabica', 16, 4, 12.5, 2, 4, 1, NULL, 2, '2007-09-02 14:00:00', 'done'),
    (109, 'Basic PC', NULL, 1, 3, 1, 4, 1, NULL, 1, '2007-09-25 09:00:00', 'draft');

INSERT INTO sale_order (id, name, partner_id, partner_invoice_id, user_id, date_order, state, amount_total) VALUES
    (7, 'SO007', 8, 2, 1, '2007-09-10', 'progress', 1200.00),
    (9, 'SO009', 12, 4, 1, '2007-09-12', 'progress', 325.00),
    (10, 'SO010', 5, 5, 2, '2007-10-01', 'draft', 129.00),
    (11, 'SO011', 14, 9, 2, '2007-10-05', 'manual', 64.50);

INSERT INTO sale_order_line (id, order_id, sequence, product_id, name, product_uom_qty, product_uom, price_unit, discount) VALUES
    (1, 7, 10, 1, 'Basic PC', 2, 1, 450.00, 0),
    (2, 7, 20, 2, 'Processor AMD Athlon XP 1800+', 4, 1, 75.00, 0),
    (3, 9, 10, 3, 'DDR 512MB PC400', 10, 1, 32.50, 0),
    (4, 10, 10, 4, 'Café Arabica', 10, 2, 12.90, 0),
    (5, 11, 10, 4, 'Café Arabica', 5, 2, 12.90, 0);

INSERT INTO account_invoice (id, number, type, partner_id, address_invoice_id, date_invoice, state, amount_untaxed, amount_tax, amount_total) VALUES
    (1, 'INV/2009/001', 'out_invoice', 7, 7, '2009-01-15', 'paid', 450.00, 0, 450.00),
    (2, 'INV/2009/002', 'out_invoice', 8, 2, '2009-02-03', 'paid', 826.45, 173.55, 1000.00),
    (3, 'INV/2009/003', 'out_invoice', 8, 2, '2009-03-11', 'open', 1084.71, 227.79, 1312.50),
    (4, 'INV/2009/004', 'out_invoice', 8, 2, '2009-05-20', 'open', 1652.89, 347.11, 2000.00),
    (5, 'INV/2009/005', 'out_invoice', 9, 8, '2009-01-05', 'paid', 1680.67, 319.33, 2000.00),
    (6, 'INV/2009/006', 'out_invoice', 9, 8, '2009-02-05', 'paid', 2521.01, 478.99, 3000.00),
    (7, 'INV/2009/007', 'out_invoice', 9, 8, '2009-03-05', 'paid', 1260.71, 239.54, 1500.25),
    (8, 'INV/2009/008', 'out_invoice', 9, 8, '2009-04-05', 'open', 3361.34, 638.66, 4000.00),
    (9, 'INV/2009/009', 'out_invoice', 9, 8, '2009-05-05', 'open', 1899.16, 360.84, 2260.00),
    (10, 'INV/2009/010', 'out_invoice', 9, 8, '2009-06-05', 'open', 2521.01, 478.99, 3000.00),
    (11, 'INV/2009/011', 'out_invoice', 9, 8, '2009-07-05', 'open', 2521.01, 478.99, 3000.00);

INSERT INTO account_invoice_line (id, invoice_id, product_id, name, quantity, price_unit, price_subtotal) VALUES
    (1, 1, 1, 'Basic PC', 1, 450.00, 450.00),
    (2, 2, 2, 'Processor AMD Athlon XP 1800+', 11, 75.13, 826.45),
    (3, 3, 3, 'DDR 512MB PC400', 33.376, 32.50, 1084.71),
    (4, 4, 1, 'Basic PC', 3.673, 450.00, 1652.89),
    (5, 5, 4, 'Café Arabica', 130.285, 12.90, 1680.67);

-- A 1×1 PNG attached to Agrolait (the `attachment` data-template type).
INSERT INTO ir_attachment (id, name, datas_fname, res_model, res_id, datas) VALUES
    (1, 'Agrolait logo', 'logo.png', 'res.partner', 8,
     decode('89504e470d0a1a0a0000000d4948445200000001000000010806000000'
            || '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5270de40000000049454e44ae426082', 'hex')),
    (2, 'Notes', 'notes.txt', 'res.partner', 8, convert_to('not an image', 'UTF8'));

-- A view for custom reports that read rows directly (`view:` instead of `model:`).
CREATE VIEW report_invoice_partner AS
    SELECT i.id, p.name AS partner, i.number, i.state, i.date_invoice, i.amount_total
    FROM account_invoice i JOIN res_partner p ON p.id = i.partner_id;

ANALYZE;
